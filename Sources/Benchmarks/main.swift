print("harness-bench: not yet implemented")
