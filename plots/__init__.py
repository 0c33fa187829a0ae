"""Computed figures for the glossary.

NumPy computes every figure's numbers (through the references verified against PyTorch:
:mod:`plots.norms`, :mod:`plots.activations`, :mod:`plots.schedules` and
:mod:`plots.optimizers`), matplotlib draws them, and :mod:`plots.export` turns them into a light
and a dark SVG plus generated alt text. :mod:`plots.registry` lists the figure kinds a term file
may ask for and checks the parameters it gives them.
"""
