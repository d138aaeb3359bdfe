"""spinaps generator: elaborate hw/ for a configuration and write Verilog plus a manifest."""
