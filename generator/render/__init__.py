"""The generated, committed files: per-environment tfvars and backend config (`tfvars`),
`atlantis.yaml` (`atlantis`), the module README tables (`module_docs`) and the catalog file that
`new-endpoint` scaffolds (`scaffold`). Every file is written through `common.files.check_or_write`.

May import `common`, `catalog` and `registry` (scaffold resolves a tag through the registry).
"""
