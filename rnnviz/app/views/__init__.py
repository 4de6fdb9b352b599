"""The pages of the dashboard, one module per `?view=` (explore, compare, arch, lesson, own)
and the sections they share (influence, race). A view reads its controls, asks the core and
the cached resources for finished numbers and draws them; it never computes a quantity."""
