# The plugin's own fixtures come from the installed package (entry point pytest11); pytester
# runs small test files in-process to check them.
pytest_plugins = ["pytester"]
