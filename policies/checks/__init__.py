# checkov loads every module of this folder as an external check (`--external-checks-dir`).
