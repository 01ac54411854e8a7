"""descend's terminal app: the Textual playground over the engine's public API."""
