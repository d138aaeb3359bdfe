# spinaps — the README's two commands are 'make run' and 'make test'.
# Both set up what they need first (scripts/setup.sh): Debian packages, .venv, pinned pip packages.
#
#   make run  [CONFIG=path.yaml] [TILES=N]
#                                  train (or reuse cached weights), evaluate the golden model, generate,
#                                  simulate 100 test images on Verilator, synthesise; report in build/report[/NAME]
#   make test                      the test suite
#   make gen  [TILES=8] [CONFIG=..] generate the accelerator's Verilog and manifest into build/gen
#   make sim  [SIM=icarus|verilator] [TILES=8] [N=100] [WAVES=1]
#                                  simulate N test digits on the generated design against the golden model
#   make verify                    the long regressions (pytest -m full): both simulators, the extremes
#   make soak [TRIALS=10000] [SEED=1] [WORKERS=2]
#                                  random regression: random configurations and stimulus against the golden
#                                  model, coverage bins; build/soak/summary.json, coverage.md (not in make test)
#   make synth [TILES=8]           synthesis (Yosys, OSU018 liberty), macro model, GSOPS/W/mm2: build/synth
#   make synth-sweep               the same for tiles 1, 2, 4, 8, 16: build/synth/sweep
#   make gls  [N=10]               the top-level cocotb test on the synthesised netlist (Icarus)
#   make bench                     benchmarks (figures printed and written to build/bench/*.json)
#   make explore [SPACE=configs/explore_digits.yaml] [WORKERS=2 | SCHEDULER=tcp://HOST:PORT]
#                                  design-space exploration on Dask: build/explore/<space>/summary.md
#
# gen, sim, synth, synth-sweep, gls and run take CONFIG=path.yaml; a named configuration's artefacts go
# to build/config/NAME/ instead of build/.

SHELL := /bin/bash
PY    := .venv/bin/python
STAMP := .venv/.setup-done
BUILD := build

CONFIG ?=
NAME   := $(if $(CONFIG),$(basename $(notdir $(CONFIG))),default)
CONFIG_ARG := $(if $(CONFIG),--config $(CONFIG))
WEIGHTS := $(BUILD)/weights/$(NAME).npz
EVAL    := $(BUILD)/eval/$(NAME)
# gen, sim, synth, gls of a named configuration: build/config/NAME, so runs do not overwrite each other.
WORK    := $(BUILD)$(if $(CONFIG),/config/$(NAME))

export AMARANTH_USE_YOSYS := builtin
export PYTHONHASHSEED := 0

TILES  ?=
TILES_ARG := $(if $(TILES),--tiles $(TILES))
SIM    ?= verilator
N      ?= 100
WAVES  ?=

SPACE  ?= configs/explore_digits.yaml
SCHEDULER ?=
TRIALS  ?= 10000
SEED    ?= 1
WORKERS ?= 2

.PHONY: setup run eval test gen sim verify soak synth synth-sweep gls bench explore clean

setup: $(STAMP)

$(STAMP): requirements.txt scripts/setup.sh pyproject.toml
	bash scripts/setup.sh
	touch $@

# Cached: retrained only when the configuration or the model code changes.
$(WEIGHTS): $(wildcard model/*.py spinaps/*.py) $(CONFIG) | $(STAMP)
	$(PY) -m model train $(CONFIG_ARG) --out $@

run: $(STAMP) $(WEIGHTS)
	$(PY) -m flow run $(CONFIG_ARG) $(TILES_ARG) --weights $(WEIGHTS) --n $(N) --work $(WORK) --out $(BUILD)/report$(if $(CONFIG),/$(NAME))

eval: $(STAMP) $(WEIGHTS)
	$(PY) -m model eval $(CONFIG_ARG) --weights $(WEIGHTS) --json $(EVAL)/report.json --plot $(EVAL)/accuracy.png

test: $(STAMP)
	PYTHONWARNINGS=error $(PY) -m pytest -n auto

gen: $(STAMP) $(WEIGHTS)
	$(PY) -m gen $(TILES_ARG) $(CONFIG_ARG) --weights $(WEIGHTS) --out $(WORK)/gen

sim: $(STAMP) $(WEIGHTS)
	$(PY) -m verif.sim --sim $(SIM) $(TILES_ARG) $(CONFIG_ARG) --n $(N) --weights $(WEIGHTS) \
	    $(if $(filter 1,$(WAVES)),--waves) --out $(WORK)/sim

verify: $(STAMP)
	PYTHONWARNINGS=error $(PY) -m pytest -n auto -m full

soak: $(STAMP)
	$(PY) -m verif.soak --trials $(TRIALS) --seed $(SEED) --workers $(WORKERS) --sim $(SIM) --out $(BUILD)/soak

synth: $(STAMP) $(WEIGHTS)
	$(PY) -m synth $(TILES_ARG) $(CONFIG_ARG) --weights $(WEIGHTS) --out $(WORK)/synth

synth-sweep: $(STAMP) $(WEIGHTS)
	$(PY) -m synth.sweep $(CONFIG_ARG) --weights $(WEIGHTS) --out $(WORK)/synth/sweep

gls: $(STAMP) $(WEIGHTS)
	$(PY) -m verif.gls $(TILES_ARG) $(CONFIG_ARG) --weights $(WEIGHTS) --n $(if $(filter 100,$(N)),10,$(N)) \
	    --out $(WORK)/gls

bench: $(STAMP) $(WEIGHTS)
	$(PY) benchmarks/golden_inference.py --json $(BUILD)/bench/golden_inference.json
	$(PY) benchmarks/simulation_speed.py --json $(BUILD)/bench/simulation_speed.json
	$(PY) benchmarks/golden_memory.py --json $(BUILD)/bench/golden_memory.json
	$(PY) benchmarks/datapath_sweep.py --out $(BUILD)/bench/datapath_sweep
	$(MAKE) --no-print-directory CONFIG=configs/mnist.yaml $(BUILD)/weights/mnist.npz
	$(PY) benchmarks/utilisation_bound.py --config configs/mnist.yaml --json $(BUILD)/bench/utilisation_bound.json

# Resumable: rerunning computes only the points missing from build/explore/<space>/results.jsonl.
explore: $(STAMP)
	$(PY) -m flow.explore $(SPACE) $(if $(SCHEDULER),--scheduler $(SCHEDULER),$(if $(WORKERS),--workers $(WORKERS)))

clean:
	rm -rf $(BUILD)
