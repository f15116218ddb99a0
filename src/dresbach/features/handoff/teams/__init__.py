"""Teams of operators: where a hand-off goes by why it was asked, who takes it, transfers."""
