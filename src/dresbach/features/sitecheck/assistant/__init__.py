"""The site-down assistant around the engine: its settings and the job that runs the checks."""
