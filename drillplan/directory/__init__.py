"""The resource directory (资源目录): who holds a material, how much, whom to call."""
