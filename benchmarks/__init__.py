"""Benchmarks: each ``bench_<name>.py`` defines ``main()``; ``python -m benchmarks`` runs all."""
