"""The race view: its screen, the field panel, the overlay plot and the leaderboard."""
