import Testing

@Test func placeholderDeriveLanguageTests() { #expect(1 + 1 == 2) }
