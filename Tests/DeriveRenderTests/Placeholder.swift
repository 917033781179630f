import Testing

@Test func placeholderDeriveRenderTests() { #expect(1 + 1 == 2) }
