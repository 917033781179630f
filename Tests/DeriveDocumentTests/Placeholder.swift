import Testing

@Test func placeholderDeriveDocumentTests() { #expect(1 + 1 == 2) }
