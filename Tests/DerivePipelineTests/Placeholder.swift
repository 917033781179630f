import Testing

@Test func placeholderDerivePipelineTests() { #expect(1 + 1 == 2) }
