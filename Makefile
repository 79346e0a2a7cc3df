# sagemaker-gitops — every entry point people and CI use. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ENV ?= local
# GROUP=<group> (or base) limits plan/apply/destroy to one state of the environment.
GROUP ?=
STATE_FLAG = $(if $(GROUP),--state $(GROUP),)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEBIAN_TOOLS := docker-registry skopeo htpasswd
export TF_CLI_CONFIG_FILE := $(CURDIR)/terraform.rc
MODULES := $(sort $(dir $(wildcard modules/*/main.tf)))
# The root modules: base and one state per endpoint group (terraform/shared only holds the files
# both link to, so it is not validated on its own).
ROOTS := terraform/base terraform/group

.PHONY: help
help: ## List every target with one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-20s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,emulator]'
	@touch $@

.PHONY: venv
venv: $(STAMP) ## Create .venv with the pinned Python dependencies (idempotent)

.PHONY: debian-tools
debian-tools: ## Install docker-registry, skopeo and htpasswd from Debian packages when missing
	@missing=""; for t in $(DEBIAN_TOOLS); do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
	  echo "==> installing Debian packages for:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry skopeo apache2-utils >/dev/null; \
	fi

.PHONY: validate
validate: $(STAMP) ## Validate catalog/ and environments/
	$(PY) -m generator validate

.PHONY: render
render: $(STAMP) ## Render the generated files of every environment and atlantis.yaml
	$(PY) -m generator render --all
	$(PY) -m generator atlantis

.PHONY: new-endpoint
new-endpoint: $(STAMP) ## Scaffold catalog/NAME.yaml from IMAGE (ENVS=dev,... optional) and render
	$(PY) -m generator new-endpoint --name "$(NAME)" --image "$(IMAGE)" --envs "$(ENVS)" \
	  --owner "$(OWNER)" --description "$(DESCRIPTION)" $(if $(CA_BUNDLE),--ca-bundle "$(CA_BUNDLE)",)

.PHONY: check-generated
check-generated: $(STAMP) ## Fail when a generated file is stale (tfvars, atlantis.yaml, schemas, module READMEs)
	$(PY) -m generator render --all --check
	$(PY) -m generator atlantis --check
	$(PY) -m generator schema --check
	$(PY) -m generator module-docs --check

.PHONY: plan
plan: $(STAMP) ## Render, init and plan every state of ENV (default local, on the embedded AWS); GROUP=g plans one
	$(PY) -m generator plan --env $(ENV) $(STATE_FLAG)

.PHONY: apply
apply: $(STAMP) ## Plan and apply ENV (asks for confirmation unless ENV=local or CONFIRM=yes)
	$(PY) -m generator apply --env $(ENV) $(STATE_FLAG) $(if $(filter yes,$(CONFIRM)),--yes,)

.PHONY: destroy
destroy: $(STAMP) ## Destroy everything of ENV (asks for confirmation unless ENV=local or CONFIRM=yes)
	$(PY) -m generator apply --destroy --env $(ENV) $(STATE_FLAG) $(if $(filter yes,$(CONFIRM)),--yes,)

.PHONY: local-up
local-up: $(STAMP) ## Start and seed the embedded AWS emulator and keep it running
	$(PY) -m generator local up

.PHONY: local-down
local-down: $(STAMP) ## Stop the embedded AWS emulator
	$(PY) -m generator local down

.PHONY: fmt
fmt: ## Format Terraform files
	terraform fmt -recursive

.PHONY: validate-terraform
validate-terraform: ## terraform validate both root modules, every module and every module example (offline, no backend)
	@for dir in $(ROOTS) $(MODULES) $(sort $(dir $(wildcard modules/*/examples/*/main.tf))); do \
	  echo "==> terraform validate $$dir"; \
	  TF_DATA_DIR=$(CURDIR)/build/validate/$$(echo $$dir | tr / _)/.terraform terraform -chdir=$$dir init -backend=false -input=false >/dev/null; \
	  TF_DATA_DIR=$(CURDIR)/build/validate/$$(echo $$dir | tr / _)/.terraform terraform -chdir=$$dir validate -no-color; \
	done

.PHONY: lint
lint: $(STAMP) check-generated ## terraform fmt -check, terraform validate, ruff, generated-file checks, checkov
	terraform fmt -check -recursive
	@$(MAKE) --no-print-directory validate-terraform
	$(VENV)/bin/ruff check generator tests bench policies
	@$(MAKE) --no-print-directory policy

# checkov lives in a virtualenv of its own: it pins an older boto3/botocore than .venv. The
# module examples are skipped: they call the modules, so checkov would report every module
# resource a second time under the example's module address.
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/bin/checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
# --skip-download: no network call for Prisma Cloud policies (it only adds a long traceback here).
CHECKOV_FLAGS := --skip-download --external-checks-dir policies/checks --compact --quiet
# The plans scanned by policy-plan: every state's plan of POLICY_ENV (default local; planned
# first when a source is newer than its review summary), or only POLICY_PLAN, a state's plan that
# Atlantis has just written (build/<env>/<state>/plan.json).
POLICY_PLAN ?=
POLICY_ENV ?= $(if $(POLICY_PLAN),$(word 2,$(subst /, ,$(POLICY_PLAN))),local)
POLICY_REVIEW := build/$(POLICY_ENV)/plan.md
POLICY_TARGET := $(if $(POLICY_PLAN),$(POLICY_PLAN),$(POLICY_REVIEW))
# What the plans are made of: they are made again only when one of these is newer.
POLICY_PLAN_SOURCES := $(shell find catalog environments/$(POLICY_ENV) modules terraform generator -type f \
  -not -path '*/__pycache__/*' -not -path '*/.terraform/*' -not -path '*/tests/*' 2>/dev/null)

$(CHECKOV_STAMP): policies/requirements.txt
	@test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r policies/requirements.txt
	@touch $@

$(POLICY_REVIEW): $(STAMP) $(POLICY_PLAN_SOURCES)
	@mkdir -p $(@D)
	@rm -f $(@D)/*/plan.json
	@echo "==> planning ENV=$(POLICY_ENV) for the policy scan (output in $(@D)/policy-plan.log)"
	@$(PY) -m generator plan --env $(POLICY_ENV) >$(@D)/policy-plan.log 2>&1 || { cat $(@D)/policy-plan.log; exit 1; }

.PHONY: policy-static
policy-static: $(CHECKOV_STAMP) ## checkov (AWS built-ins + policies/checks) on modules/ and terraform/ as written
	$(CHECKOV) -d modules -d terraform --framework terraform --skip-path '/examples/' $(CHECKOV_FLAGS)

.PHONY: policy-plan
policy-plan: $(CHECKOV_STAMP) $(POLICY_TARGET) ## checkov on every state's plan of POLICY_ENV (default local), or on POLICY_PLAN
	$(CHECKOV) $(if $(POLICY_PLAN),-f $(POLICY_PLAN),$$(for f in build/$(POLICY_ENV)/*/plan.json; do printf -- '-f %s ' "$$f"; done)) \
	  --framework terraform_plan --repo-root-for-plan-enrichment . $(CHECKOV_FLAGS)

.PHONY: policy
policy: policy-static policy-plan ## Both checkov scans; inline #checkov:skip comments apply to both

.PHONY: test
test: $(STAMP) debian-tools ## Run the whole test suite on two workers (pytest, Terraform and registry tests)
	$(PY) -m pytest -q -n 2 --dist loadfile --durations=15

.PHONY: bench
bench: $(STAMP) ## Measure the glue against bare Terraform and YAML parsing; writes bench/RESULTS.md
	$(PY) -m bench

.PHONY: clean
clean: ## Stop the embedded AWS emulator when one runs, remove build output (never builds or removes .venv)
	@if [ -x $(PY) ]; then $(PY) -m generator local down; fi
	rm -rf build
