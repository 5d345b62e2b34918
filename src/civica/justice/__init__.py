"""Civic justice: the juzgado cívico's cases from the police report to the closure (issue 15)."""
