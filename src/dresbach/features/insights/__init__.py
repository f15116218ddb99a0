"""What managers see at `/console/reports`: the records read as the reports' plain rows."""
