print("derive-bench: nothing yet")
