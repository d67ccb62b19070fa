"""Reads of the scorecard. Views and the monthly report go through these; each decides its
joins so its query count stays the same whatever the data size."""
