// DeriveRender: see the module's issue.
