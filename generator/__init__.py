"""sagemaker-gitops generator: validates the catalog and renders per-environment Terraform inputs.

The packages form layers; a package imports only from the layers below it (a test enforces this):

    cli                                   the command line (argparse, exit codes)
    deploy                                Terraform runner and the plan/apply workflow
    render                                generated files (tfvars, atlantis.yaml, module docs, scaffold)
    registry                              the private registry: pin and pre-flight
    review · emulator                     the plan summary · the embedded AWS
    catalog                               the inputs: models, loading, validation, quotas
    common                                errors, generated-file writing, layout, shared rules
"""

__version__ = "0.1.0"

# Rank of every package, lowest first: each may import only packages of a lower rank.
LAYERS: dict[str, int] = {
    "common": 0,
    "catalog": 1,
    "review": 2,
    "emulator": 2,
    "registry": 3,
    "render": 4,
    "deploy": 5,
    "cli": 6,
}
