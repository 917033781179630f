// DerivePipeline: see the module's issue.
