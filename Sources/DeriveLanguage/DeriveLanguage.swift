// DeriveLanguage: see the module's issue.
