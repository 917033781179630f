// DeriveEngine: see the module's issue.
