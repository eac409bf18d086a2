import sys
nums = list(map(int, sys.stdin.read().split()))
print(sum(nums))
