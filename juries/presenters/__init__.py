"""View models: what each page, PDF and export shows, as French text (numbers through juries.rules.french)."""
