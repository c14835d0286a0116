"""Reading YAML records: the exact reader (PyYAML, every safety rule, positions) and the
fast reader (rapidyaml, a plain subset, used in worker processes), with the rules they share."""
