"""spinaps verification: cocotb testbenches for the generated Verilog, and simulator set-up."""
