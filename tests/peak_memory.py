"""The peak memory of a measured child process, as source code for the scripts the tests run in one.

``ru_maxrss`` is no measure there: Linux carries the forking pytest worker's high-water mark across exec (a
worker late in a full run had 179 MB, over a child's 150 MB bound). ``VmHWM`` is the child's own; other
systems fall back to ``ru_maxrss``.
"""

PEAK_MB = '''
def peak_mb() -> float:
    import resource
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
'''
