"""The main view's panels: the experiment controls and the why panel."""
