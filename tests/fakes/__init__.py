"""Hand-written fakes shared by the test suites (see `fake_openai` for the fake OpenAI server)."""
