"""The surface view: optimizers walking 2-D loss surfaces, and the network's loss landscape."""
