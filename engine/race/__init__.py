"""Races: K contestants (optimizers, learning rates, losses or batch sizes) trained in lockstep."""

from engine.race.fields import DEFAULT_OPTIMIZERS, FIELDS, SHARED, Entry, entries, parse_values
from engine.race.contestant import Contestant, RaceEvent, TargetHit
from engine.race.race import TARGET_FRACTION, Race

__all__ = ["DEFAULT_OPTIMIZERS", "FIELDS", "SHARED", "TARGET_FRACTION", "Contestant", "Entry",
           "Race", "RaceEvent", "TargetHit", "entries", "parse_values"]
