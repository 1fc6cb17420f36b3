// Integration tests share one PostgreSQL cluster; parallelism within the collection is bounded by xunit's defaults.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
