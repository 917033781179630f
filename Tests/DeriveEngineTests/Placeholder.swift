import Testing

@Test func placeholderDeriveEngineTests() { #expect(1 + 1 == 2) }
