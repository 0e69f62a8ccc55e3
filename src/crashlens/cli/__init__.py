"""Command-line interface (Typer + Rich).

Each module in this package that defines ``register(app)`` adds its commands; ``main`` finds them
by name, so an engine adds a CLI command by adding one module here and touching nothing else.
"""
