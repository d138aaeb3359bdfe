"""spinaps model: float GLM-SNN, first-to-spike training and the bit-exact golden model."""
