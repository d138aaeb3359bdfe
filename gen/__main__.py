"""``python -m gen``: generate the accelerator's Verilog, manifest, register map and C header."""

import sys

from .generate import main

sys.exit(main())
