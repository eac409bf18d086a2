# A memory bomb: stopped by the memory cgroup.
blocks = []
while True:
    blocks.append(bytearray(16 << 20))
