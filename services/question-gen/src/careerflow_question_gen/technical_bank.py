"""The technical question bank: questions written for named skills, and templates per skill
category for every other skill.

Data only. ``SKILL_QUESTIONS`` is keyed by a skill key (``skill_key`` in ``skill_selection``:
lower case, letters, digits, ``+`` and ``#`` only), ``CATEGORY_QUESTIONS`` by a question
category (see ``CATEGORIES``). A template's ``{skill}`` is the skill's display name.
"""

from __future__ import annotations

from careerflow_question_gen.bank_types import QuestionTemplate


def T(text: str, points: tuple[str, ...]) -> QuestionTemplate:
    return QuestionTemplate(text=text, points=points)


CATEGORIES = (
    "language",
    "backend_framework",
    "frontend",
    "database",
    "cloud",
    "devops",
    "data",
    "ml",
    "testing",
    "mobile",
    "security",
    "product",
    "project",
    "general",
)
"""Question categories. Every category has at least four templates in ``CATEGORY_QUESTIONS``."""

SKILL_ALIASES: dict[str, str] = {
    "golang": "go",
    "postgres": "postgresql",
    "psql": "postgresql",
    "k8s": "kubernetes",
    "js": "javascript",
    "ecmascript": "javascript",
    "ts": "typescript",
    "reactjs": "react",
    "vuejs": "vue",
    "angularjs": "angular",
    "node": "nodejs",
    "amazonwebservices": "aws",
    "googlecloud": "gcp",
    "googlecloudplatform": "gcp",
    "microsoftazure": "azure",
    "sklearn": "scikitlearn",
    "springboot": "spring",
    "springframework": "spring",
    "restapi": "rest",
    "restapis": "rest",
    "restful": "rest",
    "restfulapis": "rest",
    "cicd": "cicd",
    "continuousintegration": "cicd",
    "githubactions": "cicd",
    "gitlabci": "cicd",
    "jenkins": "cicd",
    "apachespark": "spark",
    "pyspark": "spark",
    "apachekafka": "kafka",
    "apacheairflow": "airflow",
    "elastic": "elasticsearch",
    "opensearch": "elasticsearch",
    "mssql": "sqlserver",
    "microsoftsqlserver": "sqlserver",
    "dotnet": "net",
    "aspnet": "net",
    "aspnetcore": "net",
    "csharp": "c#",
    "cpp": "c++",
    "tf": "terraform",
    "jetpackcompose": "kotlin",
    "swiftui": "swift",
    "machinelearning": "machinelearning",
    "ml": "machinelearning",
    "deeplearning": "pytorch",
    "llm": "llms",
    "largelanguagemodels": "llms",
    "genai": "llms",
    "abtesting": "experimentation",
    "experimentdesign": "experimentation",
    "owasptop10": "owasp",
    "appsec": "owasp",
    "oauth2": "oauth",
    "openidconnect": "oauth",
    "oidc": "oauth",
    "scrum": "agile",
    "kanban": "agile",
}
"""Other keys of the same skill, so that ``Golang`` finds the questions written for ``Go``."""

SKILL_CATEGORIES: dict[str, str] = {
    "python": "language",
    "java": "language",
    "javascript": "frontend",
    "typescript": "frontend",
    "go": "language",
    "rust": "language",
    "c#": "language",
    "c++": "language",
    "kotlin": "mobile",
    "swift": "mobile",
    "sql": "database",
    "postgresql": "database",
    "mysql": "database",
    "sqlserver": "database",
    "mongodb": "database",
    "redis": "database",
    "elasticsearch": "database",
    "kafka": "backend_framework",
    "rabbitmq": "backend_framework",
    "django": "backend_framework",
    "fastapi": "backend_framework",
    "flask": "backend_framework",
    "spring": "backend_framework",
    "nodejs": "backend_framework",
    "net": "backend_framework",
    "graphql": "backend_framework",
    "rest": "backend_framework",
    "react": "frontend",
    "angular": "frontend",
    "vue": "frontend",
    "css": "frontend",
    "docker": "devops",
    "kubernetes": "devops",
    "terraform": "devops",
    "cicd": "devops",
    "linux": "devops",
    "prometheus": "devops",
    "git": "devops",
    "aws": "cloud",
    "gcp": "cloud",
    "azure": "cloud",
    "spark": "data",
    "airflow": "data",
    "pandas": "data",
    "dbt": "data",
    "tableau": "data",
    "statistics": "data",
    "experimentation": "data",
    "pytorch": "ml",
    "tensorflow": "ml",
    "scikitlearn": "ml",
    "machinelearning": "ml",
    "llms": "ml",
    "mlops": "ml",
    "android": "mobile",
    "ios": "mobile",
    "reactnative": "mobile",
    "flutter": "mobile",
    "selenium": "testing",
    "playwright": "testing",
    "cypress": "testing",
    "pytest": "testing",
    "testautomation": "testing",
    "owasp": "security",
    "oauth": "security",
    "threatmodeling": "security",
    "incidentresponse": "security",
    "agile": "project",
    "jira": "project",
    "riskmanagement": "project",
    "stakeholdermanagement": "project",
    "productmetrics": "product",
    "roadmapping": "product",
    "userresearch": "product",
    "prioritization": "product",
    "systemdesign": "general",
    "apidesign": "backend_framework",
    "caching": "backend_framework",
    "observability": "devops",
    "accessibility": "frontend",
    "webperformance": "frontend",
    "datamodeling": "database",
    "distributedsystems": "general",
    # Skills the skills library files under broad categories ("library", "framework",
    # "practice", "tool") that need a narrower question category.
    **dict.fromkeys(
        (
            "jest",
            "mocha",
            "chai",
            "jasmine",
            "karma",
            "unittest",
            "mockito",
            "testng",
            "rspec",
            "cucumber",
            "vitest",
            "enzyme",
            "reacttestinglibrary",
            "appium",
            "puppeteer",
            "junit",
            "jmeter",
            "gatling",
            "locust",
            "k6",
            "unittesting",
            "integrationtesting",
            "endtoendtesting",
            "testdrivendevelopment",
            "behaviordrivendevelopment",
            "performancetesting",
            "manualtesting",
            "qualityassurance",
            "contracttesting",
        ),
        "testing",
    ),
    **dict.fromkeys(
        (
            "svelte",
            "nextjs",
            "nuxtjs",
            "gatsby",
            "emberjs",
            "backbonejs",
            "jquery",
            "redux",
            "tailwindcss",
            "bootstrap",
            "materialui",
            "threejs",
            "d3js",
            "webpack",
            "vite",
            "babel",
            "storybook",
            "rxjs",
            "htmx",
            "lodash",
            "axios",
            "html",
            "sass",
            "less",
            "responsivedesign",
            "frontenddevelopment",
            "webdevelopment",
        ),
        "frontend",
    ),
    **dict.fromkeys(
        ("xamarin", "ionic", "uikit", "objectivec", "dart", "mobiledevelopment"), "mobile"
    ),
    **dict.fromkeys(
        (
            "numpy",
            "scipy",
            "matplotlib",
            "seaborn",
            "plotly",
            "polars",
            "dask",
            "scrapy",
            "beautifulsoup",
            "powerbi",
            "looker",
            "r",
            "streamlit",
            "etl",
            "datawarehousing",
        ),
        "data",
    ),
    **dict.fromkeys(
        (
            "cybersecurity",
            "penetrationtesting",
            "cryptography",
            "identityandaccessmanagement",
            "authentication",
            "compliance",
            "burpsuite",
            "metasploit",
            "nmap",
            "wireshark",
        ),
        "security",
    ),
    **dict.fromkeys(("databasedesign",), "database"),
}
"""The question category of every skill the bank knows, when the skills library has none."""

SKILL_QUESTIONS: dict[str, tuple[QuestionTemplate, ...]] = {
    "python": (
        T(
            "In Python, when would you reach for asyncio rather than threads or "
            "multiprocessing, and what goes wrong if you call blocking code inside a coroutine?",
            (
                "I/O-bound vs CPU-bound work",
                "the GIL limits threads for CPU work",
                "blocking call stalls the event loop",
                "run_in_executor or to_thread for blocking code",
                "multiprocessing for CPU-bound work",
            ),
        ),
        T(
            "How do you keep a large Python codebase safe to change? Talk about typing, "
            "testing and packaging choices you have made.",
            (
                "type hints checked by mypy or pyright",
                "pytest with fixtures and fast unit tests",
                "linting and formatting in CI (ruff, black)",
                "dependency pinning with a lock file",
                "clear module boundaries",
            ),
        ),
        T(
            "Explain how Python manages memory and what a generator buys you when processing "
            "a file much larger than RAM.",
            (
                "reference counting plus a cyclic garbage collector",
                "generators yield lazily, one item at a time",
                "constant memory instead of loading the whole file",
                "itertools or chained generators as a pipeline",
            ),
        ),
    ),
    "java": (
        T(
            "How does the JVM garbage collector affect latency in a Java service, and how have "
            "you diagnosed or tuned a GC problem?",
            (
                "young and old generations",
                "stop-the-world pauses",
                "G1 or ZGC choice",
                "GC logs, heap dumps or JFR",
                "reducing allocation rate",
            ),
        ),
        T(
            "In Java, how do you make shared state safe across threads? Compare synchronized, "
            "the java.util.concurrent classes and immutability.",
            (
                "synchronized and intrinsic locks",
                "ConcurrentHashMap or atomic classes",
                "ExecutorService instead of raw threads",
                "immutable objects need no locking",
                "happens-before and volatile",
            ),
        ),
    ),
    "javascript": (
        T(
            "Walk me through the JavaScript event loop: what runs first among synchronous "
            "code, a resolved promise callback and a setTimeout callback, and why?",
            (
                "call stack runs synchronous code first",
                "microtask queue (promises) before macrotasks",
                "setTimeout is a macrotask",
                "long tasks block rendering and input",
            ),
        ),
        T(
            "How do closures work in JavaScript, and where have they caused or solved a real "
            "bug for you?",
            (
                "a function keeps access to its lexical scope",
                "var vs let in loops",
                "private state or factory functions",
                "memory leaks from retained references",
            ),
        ),
    ),
    "typescript": (
        T(
            "How do you use TypeScript's type system to make invalid states unrepresentable? "
            "Give an example with union types.",
            (
                "discriminated unions",
                "exhaustive checks with never",
                "strict mode and strictNullChecks",
                "narrowing with type guards",
                "avoiding any, using unknown",
            ),
        ),
        T(
            "TypeScript types disappear at runtime. How do you validate data coming from an API "
            "so the types stay honest?",
            (
                "runtime validation with a schema library such as zod",
                "types inferred from the schema",
                "validate at the boundary",
                "handling a failed parse explicitly",
            ),
        ),
    ),
    "go": (
        T(
            "In Go, how do you stop goroutines cleanly when a request is cancelled or the "
            "service shuts down?",
            (
                "context.Context with cancellation or deadline",
                "select on ctx.Done()",
                "sync.WaitGroup or errgroup to wait",
                "avoiding goroutine leaks",
                "closing channels from the sender side",
            ),
        ),
        T(
            "How do you handle errors in Go across package boundaries, and when would you wrap "
            "an error versus define a sentinel error?",
            (
                "errors are values returned explicitly",
                "wrapping with fmt.Errorf and %w",
                "errors.Is and errors.As",
                "sentinel errors for expected conditions",
            ),
        ),
    ),
    "rust": (
        T(
            "Explain Rust's ownership and borrowing rules, and describe a time the borrow "
            "checker pushed you to change a design.",
            (
                "each value has one owner",
                "many shared borrows or one mutable borrow",
                "lifetimes",
                "Rc/Arc and RefCell/Mutex when sharing is needed",
            ),
        ),
        T(
            "How do you structure error handling in a Rust application versus a library?",
            (
                "Result and the ? operator",
                "custom error enums (thiserror) in libraries",
                "anyhow or boxed errors in applications",
                "avoiding unwrap in production paths",
            ),
        ),
    ),
    "c#": (
        T(
            "How does async/await work in C#, and what causes deadlocks when async code is "
            "called synchronously?",
            (
                "Task-based asynchronous pattern",
                "blocking with .Result or .Wait()",
                "SynchronizationContext capture",
                "ConfigureAwait(false) in libraries",
                "async all the way down",
            ),
        ),
        T(
            "In C#, when do you choose a struct over a class, and how does that affect "
            "performance and correctness?",
            (
                "value vs reference semantics",
                "stack allocation and fewer GC allocations",
                "boxing costs",
                "keep structs small and immutable",
            ),
        ),
    ),
    "c++": (
        T(
            "How do you manage resources safely in modern C++? Talk about RAII and smart pointers.",
            (
                "RAII ties resource lifetime to scope",
                "unique_ptr for single ownership",
                "shared_ptr and weak_ptr for shared ownership and cycles",
                "rule of zero or five",
            ),
        ),
        T(
            "What is move semantics in C++ and when does it make a measurable difference?",
            (
                "rvalue references",
                "std::move transfers resources instead of copying",
                "move constructors and noexcept",
                "returning large objects and containers",
            ),
        ),
    ),
    "sql": (
        T(
            "A SQL report query has become slow as the data grew. How do you find out why and "
            "fix it?",
            (
                "read the execution plan (EXPLAIN)",
                "indexes on filter and join columns",
                "avoid functions on indexed columns",
                "check row estimates and statistics",
                "rewrite or pre-aggregate if needed",
            ),
        ),
        T(
            "Explain the difference between INNER, LEFT and a correlated subquery, and when a "
            "window function is the better tool.",
            (
                "INNER keeps matching rows only",
                "LEFT keeps all rows of the left table with NULLs",
                "window functions such as ROW_NUMBER or SUM OVER",
                "PARTITION BY and ORDER BY",
            ),
        ),
    ),
    "postgresql": (
        T(
            "How do you decide which indexes a PostgreSQL table needs, and how do you check "
            "that a query actually uses them?",
            (
                "B-tree as default, GIN or GiST for special cases",
                "EXPLAIN ANALYZE",
                "selectivity of the filtered columns",
                "composite and partial indexes",
                "write cost of extra indexes",
            ),
        ),
        T(
            "Explain how PostgreSQL handles concurrent transactions. What isolation level do "
            "you use by default and when would you change it?",
            (
                "MVCC: readers do not block writers",
                "Read Committed default",
                "Repeatable Read or Serializable for stronger guarantees",
                "SELECT ... FOR UPDATE row locks",
                "VACUUM and dead tuples",
            ),
        ),
        T(
            "How would you change the schema of a large, busy PostgreSQL table without downtime?",
            (
                "add nullable column, backfill in batches",
                "CREATE INDEX CONCURRENTLY",
                "lock_timeout to avoid long lock queues",
                "expand and contract migration",
                "deploy code compatible with both schemas",
            ),
        ),
    ),
    "mysql": (
        T(
            "How do indexes work in MySQL's InnoDB engine, and why does the choice of primary "
            "key matter?",
            (
                "clustered index on the primary key",
                "secondary indexes store the primary key",
                "B+ tree",
                "EXPLAIN to check index use",
                "short, monotonically increasing keys",
            ),
        ),
        T(
            "How have you set up MySQL replication, and what problems does replication lag "
            "cause for an application?",
            (
                "primary and replicas with binlog",
                "asynchronous vs semi-synchronous",
                "read-your-writes inconsistency",
                "routing critical reads to the primary",
            ),
        ),
    ),
    "sqlserver": (
        T(
            "How do you troubleshoot a slow query in SQL Server?",
            (
                "actual execution plan",
                "missing or unused indexes",
                "parameter sniffing",
                "Query Store or DMVs",
                "statistics updates",
            ),
        ),
    ),
    "mongodb": (
        T(
            "How do you design a MongoDB schema: when do you embed documents and when do you "
            "reference them?",
            (
                "model for the application's access patterns",
                "embed data read together",
                "reference unbounded or shared data",
                "16 MB document limit",
                "indexes on queried fields",
            ),
        ),
        T(
            "How does MongoDB scale horizontally, and how do you choose a shard key?",
            (
                "sharding across shards",
                "high-cardinality, evenly distributed shard key",
                "avoid monotonically increasing keys (hot shard)",
                "targeted vs scatter-gather queries",
            ),
        ),
    ),
    "redis": (
        T(
            "You put Redis in front of a database as a cache. How do you keep the cache "
            "correct and avoid a stampede when a hot key expires?",
            (
                "cache-aside pattern",
                "TTLs and explicit invalidation on write",
                "stampede protection: locking or early refresh",
                "eviction policy such as allkeys-lru",
            ),
        ),
        T(
            "Besides caching, what have you used Redis for, and what are its durability "
            "trade-offs?",
            (
                "rate limiting, queues, sessions or leaderboards",
                "data structures: sorted sets, hashes, streams",
                "RDB snapshots vs AOF persistence",
                "data loss window on failure",
            ),
        ),
    ),
    "elasticsearch": (
        T(
            "How does Elasticsearch make full-text search fast, and how do you design the "
            "mapping for a search feature?",
            (
                "inverted index",
                "analyzers and tokenizers",
                "text vs keyword fields",
                "shards and replicas",
                "relevance scoring (BM25)",
            ),
        ),
    ),
    "kafka": (
        T(
            "How does Kafka guarantee ordering, and how do you design consumers so that a "
            "message is processed effectively once?",
            (
                "ordering only within a partition",
                "partition key choice",
                "consumer groups and offsets",
                "commit offsets after processing",
                "idempotent consumers or transactions",
            ),
        ),
        T(
            "A Kafka consumer group is falling behind. How do you diagnose and fix consumer lag?",
            (
                "measure lag per partition",
                "scale consumers up to the partition count",
                "slow processing or rebalances",
                "batching and max.poll settings",
            ),
        ),
    ),
    "rabbitmq": (
        T(
            "How do you make sure a message published to RabbitMQ is neither lost nor "
            "processed twice?",
            (
                "publisher confirms",
                "durable queues and persistent messages",
                "manual ack after processing",
                "idempotent consumers (dedupe by message id)",
                "dead-letter exchange for poison messages",
            ),
        ),
        T(
            "Explain RabbitMQ exchanges and bindings. When would you use a topic exchange over "
            "a direct or fanout exchange?",
            (
                "producers publish to exchanges, not queues",
                "routing keys and bindings",
                "topic patterns with * and #",
                "fanout broadcasts to every bound queue",
            ),
        ),
    ),
    "django": (
        T(
            "A Django page makes hundreds of database queries. How do you find and fix the "
            "problem?",
            (
                "N+1 queries",
                "select_related for foreign keys",
                "prefetch_related for many-to-many and reverse relations",
                "django-debug-toolbar or query logging",
                "only() / values() to limit columns",
            ),
        ),
        T(
            "How do you run Django migrations safely on a production database that cannot go down?",
            (
                "backwards-compatible migrations",
                "separate schema and data migrations",
                "avoid long locks on large tables",
                "deploy code before removing columns",
                "test migrations against production-sized data",
            ),
        ),
    ),
    "fastapi": (
        T(
            "How does FastAPI use type hints and dependency injection, and how do you test an "
            "endpoint that depends on a database?",
            (
                "pydantic models validate requests and responses",
                "Depends() for dependencies",
                "dependency_overrides in tests",
                "TestClient or httpx AsyncClient",
            ),
        ),
        T(
            "In FastAPI, when do you write an endpoint with async def versus def, and what "
            "happens if an async endpoint calls a blocking library?",
            (
                "def endpoints run in a threadpool",
                "async def runs on the event loop",
                "blocking call stalls every request",
                "use async drivers or run_in_threadpool",
            ),
        ),
    ),
    "flask": (
        T(
            "How do you structure a Flask application that has grown beyond a single file?",
            (
                "application factory",
                "blueprints",
                "configuration per environment",
                "extensions initialised with init_app",
                "tests with the test client",
            ),
        ),
    ),
    "spring": (
        T(
            "How does dependency injection work in Spring, and how do you test a service "
            "without starting the whole application context?",
            (
                "beans and the application context",
                "constructor injection",
                "unit tests with mocks (Mockito)",
                "slice tests such as @WebMvcTest or @DataJpaTest",
            ),
        ),
        T(
            "How do transactions work in Spring with @Transactional, and what are the common "
            "pitfalls?",
            (
                "proxy-based: self-invocation bypasses it",
                "propagation levels",
                "rollback on unchecked exceptions only by default",
                "lazy loading outside the transaction",
            ),
        ),
    ),
    "nodejs": (
        T(
            "Node.js runs your code on one thread. How do you keep a Node.js API responsive "
            "under CPU-heavy work?",
            (
                "the event loop must not be blocked",
                "worker_threads or a separate service",
                "streams for large payloads",
                "measure event loop lag",
                "cluster or multiple processes",
            ),
        ),
        T(
            "How do you handle errors and unhandled promise rejections in a Node.js service?",
            (
                "async/await with try/catch",
                "centralised error middleware",
                "unhandledRejection and uncaughtException handlers",
                "crash and restart with a process manager",
            ),
        ),
    ),
    "net": (
        T(
            "How do you structure an ASP.NET Core service: middleware, dependency injection "
            "lifetimes and configuration?",
            (
                "middleware pipeline order",
                "singleton, scoped and transient lifetimes",
                "captive dependency problem",
                "options pattern for configuration",
            ),
        ),
    ),
    "graphql": (
        T(
            "What problems does GraphQL solve compared with REST, and what new ones does it bring?",
            (
                "clients ask for exactly the fields they need",
                "N+1 resolvers and DataLoader batching",
                "query depth or cost limits",
                "caching is harder than HTTP caching",
            ),
        ),
    ),
    "rest": (
        T(
            "How do you design a REST API that other teams can rely on for years?",
            (
                "resource-oriented URLs and correct HTTP methods",
                "status codes and a consistent error format",
                "versioning strategy",
                "pagination",
                "idempotency for retries",
            ),
        ),
        T(
            "A client retries a POST request after a timeout. How do you make sure the "
            "operation does not happen twice?",
            (
                "idempotency keys",
                "store the result of the first request",
                "PUT and DELETE are idempotent, POST is not",
                "unique constraints in the database",
            ),
        ),
    ),
    "apidesign": (
        T(
            "How do you evolve a public API without breaking existing clients?",
            (
                "additive changes only",
                "versioning (URL or header)",
                "deprecation policy and sunset headers",
                "contract tests",
            ),
        ),
        T(
            "What makes an API easy to use correctly? Give an example of an API you designed "
            "and what you would change now.",
            (
                "consistent naming and error format",
                "pagination and filtering",
                "idempotency",
                "documentation such as OpenAPI",
            ),
        ),
    ),
    "caching": (
        T(
            "Where would you add caching to a slow read-heavy service, and how do you keep the "
            "cached data from going stale?",
            (
                "cache-aside or read-through",
                "TTL and invalidation on write",
                "HTTP caching with ETag or Cache-Control",
                "hit ratio monitoring",
            ),
        ),
        T(
            "What can go wrong when you introduce a cache, and how do you protect against it?",
            (
                "stale reads",
                "cache stampede or thundering herd",
                "cold start after a flush",
                "memory limits and eviction",
            ),
        ),
    ),
    "react": (
        T(
            "A React screen re-renders too often and feels slow. How do you find the cause and "
            "fix it?",
            (
                "React DevTools Profiler",
                "state lifted too high or new object props each render",
                "React.memo, useMemo and useCallback",
                "stable keys in lists",
                "list virtualisation",
            ),
        ),
        T(
            "How do you decide where state lives in a React application: local state, context, "
            "or a store such as Redux or a server-state library?",
            (
                "keep state as local as possible",
                "context for rarely changing global values",
                "server state with React Query or SWR (caching, refetching)",
                "a store for complex shared client state",
            ),
        ),
        T(
            "Explain how useEffect works and the mistakes you have seen with it.",
            (
                "runs after render",
                "dependency array",
                "cleanup function",
                "stale closures",
                "effects for synchronisation, not derived state",
            ),
        ),
    ),
    "angular": (
        T(
            "How does change detection work in Angular, and when would you use OnPush?",
            (
                "zone.js triggers change detection",
                "OnPush checks on input reference changes",
                "immutable data",
                "async pipe",
                "signals",
            ),
        ),
        T(
            "How do you use RxJS in Angular without leaking subscriptions?",
            (
                "async pipe",
                "takeUntil or takeUntilDestroyed",
                "switchMap for dependent requests",
                "hot vs cold observables",
            ),
        ),
    ),
    "vue": (
        T(
            "How does Vue's reactivity system track changes, and when does it fail to notice one?",
            (
                "proxies in Vue 3",
                "ref vs reactive",
                "computed vs watch",
                "losing reactivity by destructuring",
            ),
        ),
    ),
    "css": (
        T(
            "How do you build a layout that works from a phone to a wide desktop screen?",
            (
                "flexbox and grid",
                "media or container queries",
                "relative units (rem, %)",
                "mobile-first approach",
            ),
        ),
    ),
    "accessibility": (
        T(
            "How do you make a web application accessible, and how do you check it?",
            (
                "semantic HTML",
                "keyboard navigation and focus management",
                "ARIA only where needed",
                "colour contrast",
                "screen reader and axe testing",
            ),
        ),
    ),
    "webperformance": (
        T(
            "A page loads slowly on mobile. How do you measure and improve it?",
            (
                "Core Web Vitals (LCP, INP, CLS)",
                "Lighthouse or real user monitoring",
                "code splitting and lazy loading",
                "image optimisation",
                "caching and CDN",
            ),
        ),
    ),
    "docker": (
        T(
            "How do you write a Dockerfile for a production service that is small, fast to "
            "build and secure?",
            (
                "multi-stage builds",
                "layer caching: dependencies before source",
                "slim or distroless base image",
                "run as non-root",
                "pin base image versions",
            ),
        ),
        T(
            "A container works on your laptop but keeps restarting in production. How do you "
            "investigate?",
            (
                "docker logs and exit code",
                "OOMKilled and memory limits",
                "health checks",
                "environment and config differences",
            ),
        ),
    ),
    "kubernetes": (
        T(
            "How do you deploy a new version of a service on Kubernetes without dropping requests?",
            (
                "rolling update with maxSurge and maxUnavailable",
                "readiness probes",
                "graceful shutdown on SIGTERM",
                "preStop hook and terminationGracePeriodSeconds",
                "PodDisruptionBudget",
            ),
        ),
        T(
            "A pod is in CrashLoopBackOff. Walk me through how you debug it.",
            (
                "kubectl describe pod and events",
                "kubectl logs --previous",
                "liveness probe failing too early",
                "resource limits and OOMKilled",
                "config or secret missing",
            ),
        ),
        T(
            "How do you set CPU and memory requests and limits for a service on Kubernetes?",
            (
                "requests drive scheduling",
                "memory limit breach kills the pod",
                "CPU throttling",
                "measure real usage first",
                "Horizontal Pod Autoscaler",
            ),
        ),
    ),
    "terraform": (
        T(
            "How do you organise Terraform for several environments and several engineers "
            "working at once?",
            (
                "remote state with locking",
                "modules for reuse",
                "separate state per environment",
                "plan reviewed in CI before apply",
                "drift detection",
            ),
        ),
        T(
            "Someone changed infrastructure by hand and Terraform now wants to destroy and "
            "recreate a database. What do you do?",
            (
                "read the plan carefully",
                "terraform import or state mv",
                "lifecycle prevent_destroy",
                "fix the drift in code",
            ),
        ),
    ),
    "cicd": (
        T(
            "Describe a CI/CD pipeline you have built or improved. What did it check before "
            "code reached production?",
            (
                "build, lint and tests on every change",
                "artifacts built once and promoted",
                "staged deploys (staging, canary)",
                "automatic rollback",
                "pipeline duration kept short",
            ),
        ),
        T(
            "How do you keep a CI pipeline fast and trustworthy as the codebase grows?",
            (
                "caching dependencies",
                "parallel jobs",
                "quarantining flaky tests",
                "running only affected tests",
            ),
        ),
    ),
    "linux": (
        T(
            "A Linux server is slow. What commands do you run first, and what are you looking for?",
            (
                "top or htop for CPU and load",
                "free and vmstat for memory and swap",
                "iostat for disk",
                "df for disk space",
                "dmesg and journalctl for errors",
            ),
        ),
    ),
    "git": (
        T(
            "How does your team use Git branches and reviews, and how do you recover from a "
            "bad commit that already reached main?",
            (
                "short-lived branches or trunk-based development",
                "pull requests with review",
                "git revert for shared history",
                "avoid rewriting public history",
            ),
        ),
    ),
    "prometheus": (
        T(
            "How do you instrument a service with Prometheus, and which alerts would you write "
            "first?",
            (
                "counters, gauges and histograms",
                "RED or USE method",
                "label cardinality",
                "alert on symptoms (SLOs), not causes",
            ),
        ),
    ),
    "observability": (
        T(
            "How do you make a distributed system observable enough that you can debug a "
            "request that failed in production?",
            (
                "structured logs with correlation ids",
                "metrics (RED or USE)",
                "distributed tracing (OpenTelemetry)",
                "dashboards and alerts tied to SLOs",
            ),
        ),
    ),
    "aws": (
        T(
            "How would you design a highly available web service on AWS?",
            (
                "multiple Availability Zones",
                "load balancer (ALB) and auto scaling",
                "managed database with Multi-AZ (RDS)",
                "S3 and CloudFront for static content",
                "IAM roles with least privilege",
            ),
        ),
        T(
            "How do you keep AWS costs under control while the system grows?",
            (
                "cost allocation tags and Cost Explorer",
                "right-sizing instances",
                "reserved instances or savings plans",
                "spot instances for fault-tolerant work",
                "S3 lifecycle policies",
            ),
        ),
    ),
    "gcp": (
        T(
            "Which Google Cloud services would you use to run a containerised API with a "
            "database, and why?",
            (
                "Cloud Run or GKE",
                "Cloud SQL or Spanner",
                "IAM service accounts",
                "Cloud Monitoring and Logging",
            ),
        ),
    ),
    "azure": (
        T(
            "How would you host and secure a web application on Azure?",
            (
                "App Service or AKS",
                "Azure SQL or Cosmos DB",
                "managed identities",
                "Key Vault for secrets",
                "Application Insights",
            ),
        ),
    ),
    "spark": (
        T(
            "A Spark job is slow and one task takes far longer than the rest. What is happening "
            "and how do you fix it?",
            (
                "data skew",
                "shuffle and wide transformations",
                "salting hot keys",
                "broadcast joins for small tables",
                "Spark UI to find the slow stage",
            ),
        ),
        T(
            "Explain lazy evaluation in Spark and when you would cache a DataFrame.",
            (
                "transformations are lazy, actions trigger execution",
                "DAG and query optimisation",
                "cache or persist reused DataFrames",
                "unpersist to free memory",
            ),
        ),
    ),
    "airflow": (
        T(
            "How do you design Airflow DAGs that can be rerun safely after a failure?",
            (
                "idempotent tasks",
                "partition by execution date",
                "retries with backoff",
                "backfills",
                "keep heavy work out of the scheduler",
            ),
        ),
    ),
    "pandas": (
        T(
            "A pandas script runs out of memory on a large file. How do you make it work?",
            (
                "read in chunks",
                "select only needed columns (usecols)",
                "smaller dtypes and categoricals",
                "vectorised operations instead of apply",
                "Polars, Dask or a database when it still does not fit",
            ),
        ),
    ),
    "dbt": (
        T(
            "How do you structure and test a dbt project?",
            (
                "staging, intermediate and mart models",
                "ref() for dependencies",
                "schema tests (unique, not_null)",
                "incremental models",
                "documentation and lineage",
            ),
        ),
    ),
    "tableau": (
        T(
            "How do you design a dashboard that decision makers actually use?",
            (
                "start from the decision and audience",
                "a few key metrics with definitions",
                "filters and drill-down",
                "performance with extracts",
            ),
        ),
    ),
    "statistics": (
        T(
            "How do you explain a p-value and a confidence interval to a non-technical "
            "stakeholder, and what are the common misreadings?",
            (
                "probability of data this extreme under the null hypothesis",
                "not the probability the hypothesis is true",
                "confidence interval as a range of plausible values",
                "statistical vs practical significance",
            ),
        ),
    ),
    "experimentation": (
        T(
            "How do you design an A/B test, and how do you decide when to stop it?",
            (
                "hypothesis and primary metric",
                "sample size from power analysis",
                "randomisation unit",
                "no peeking or use sequential testing",
                "guardrail metrics",
            ),
        ),
    ),
    "datamodeling": (
        T(
            "How do you model data for analytics, and how is that different from modelling for "
            "an application?",
            (
                "star schema: facts and dimensions",
                "normalisation for OLTP",
                "slowly changing dimensions",
                "grain of a fact table",
            ),
        ),
    ),
    "pytorch": (
        T(
            "Your PyTorch model's training loss goes down but validation loss goes up. What do "
            "you do?",
            (
                "overfitting",
                "regularisation: dropout, weight decay",
                "more or augmented data",
                "early stopping",
                "check for data leakage",
            ),
        ),
        T(
            "How do you make PyTorch training faster when it is too slow on one GPU?",
            (
                "profile data loading vs compute",
                "DataLoader with num_workers and pinned memory",
                "mixed precision (AMP)",
                "larger batches and gradient accumulation",
                "DistributedDataParallel",
            ),
        ),
    ),
    "tensorflow": (
        T(
            "How do you build an efficient input pipeline and serve a model in TensorFlow?",
            (
                "tf.data with prefetch and parallel map",
                "SavedModel format",
                "TensorFlow Serving or TFLite",
                "tf.function graph tracing",
            ),
        ),
    ),
    "scikitlearn": (
        T(
            "How do you evaluate a scikit-learn model honestly and avoid data leakage?",
            (
                "train/validation/test split",
                "cross-validation",
                "Pipeline so preprocessing is fit on training data only",
                "metrics that fit the problem (precision, recall, ROC AUC)",
            ),
        ),
    ),
    "machinelearning": (
        T(
            "You have an imbalanced classification problem where positives are 1% of the data. "
            "How do you build and evaluate a model?",
            (
                "accuracy is misleading",
                "precision, recall, PR AUC",
                "class weights or resampling",
                "choose the threshold from business cost",
            ),
        ),
        T(
            "How do you detect and handle a model whose performance degrades after deployment?",
            (
                "data drift and concept drift",
                "monitor input distributions and predictions",
                "delayed ground-truth labels",
                "retraining pipeline",
                "shadow or canary deployments",
            ),
        ),
    ),
    "llms": (
        T(
            "How would you build a question-answering feature on top of a large language model "
            "for your company's documents?",
            (
                "retrieval-augmented generation",
                "chunking and embeddings",
                "vector search",
                "evaluation set for answer quality",
                "hallucinations and citing sources",
            ),
        ),
        T(
            "How do you make an LLM-backed feature reliable in production?",
            (
                "structured output validated against a schema",
                "timeouts and fallbacks",
                "prompt injection defences",
                "cost and latency monitoring",
                "offline evaluation before changes",
            ),
        ),
    ),
    "mlops": (
        T(
            "How do you take a model from a notebook to a reproducible production service?",
            (
                "versioned data, code and model",
                "experiment tracking (MLflow)",
                "model registry",
                "automated training pipeline",
                "monitoring after deployment",
            ),
        ),
    ),
    "android": (
        T(
            "How do you handle configuration changes and process death in an Android app "
            "without losing the user's state?",
            (
                "Activity lifecycle",
                "ViewModel survives configuration changes",
                "SavedStateHandle for process death",
                "persist durable data in Room",
            ),
        ),
    ),
    "ios": (
        T(
            "How do you find and fix a memory leak in an iOS app?",
            (
                "ARC and reference counting",
                "retain cycles in closures",
                "weak or unowned self",
                "Instruments (Leaks, Allocations)",
                "memory graph debugger",
            ),
        ),
    ),
    "kotlin": (
        T(
            "How do Kotlin coroutines handle cancellation and errors, and what is structured "
            "concurrency?",
            (
                "coroutine scopes tie lifetimes together",
                "viewModelScope or lifecycleScope",
                "cancellation is cooperative",
                "SupervisorJob vs Job failure propagation",
                "Dispatchers for IO vs Main",
            ),
        ),
    ),
    "swift": (
        T(
            "How does Swift's async/await and actor model prevent data races?",
            (
                "async/await for sequential asynchronous code",
                "actors isolate mutable state",
                "@MainActor for UI updates",
                "Sendable types",
            ),
        ),
    ),
    "reactnative": (
        T(
            "A React Native screen scrolls poorly on older phones. How do you investigate and "
            "fix it?",
            (
                "FlatList virtualisation settings",
                "avoid re-renders with memoisation",
                "work off the JS thread",
                "profiling with Flipper or the performance monitor",
                "image sizes",
            ),
        ),
    ),
    "flutter": (
        T(
            "How do you manage state in a Flutter app, and how do you keep rebuilds cheap?",
            (
                "StatelessWidget vs StatefulWidget",
                "Provider, Riverpod or Bloc",
                "const constructors",
                "rebuild only the widgets that change",
            ),
        ),
    ),
    "selenium": (
        T(
            "Your Selenium tests fail intermittently. How do you make them reliable?",
            (
                "explicit waits instead of sleeps",
                "stable locators (data-test ids)",
                "independent test data",
                "page object model",
                "retry only as a last resort",
            ),
        ),
    ),
    "playwright": (
        T(
            "How do you structure an end-to-end test suite in Playwright so it stays fast and "
            "stable?",
            (
                "auto-waiting and web-first assertions",
                "role-based locators",
                "isolated browser contexts",
                "authentication state reuse",
                "parallel workers and traces for failures",
            ),
        ),
    ),
    "cypress": (
        T(
            "How do you deal with flaky Cypress tests and slow test setup?",
            (
                "avoid fixed waits, rely on retries of assertions",
                "cy.intercept to control network",
                "seed data through the API, not the UI",
                "data-cy selectors",
            ),
        ),
    ),
    "pytest": (
        T(
            "How do you organise tests with pytest for a service that talks to a database and "
            "an external API?",
            (
                "fixtures with the right scope",
                "fake or mock the external API at the boundary",
                "a real test database with isolation per test",
                "parametrize for cases",
                "markers to separate slow tests",
            ),
        ),
    ),
    "testautomation": (
        T(
            "How do you decide what to automate and at which level of the test pyramid?",
            (
                "many unit tests, fewer integration, few end-to-end",
                "risk-based prioritisation",
                "cost of maintenance",
                "run in CI on every change",
            ),
        ),
        T(
            "How do you test a feature when the requirements are vague?",
            (
                "clarify acceptance criteria with the team",
                "exploratory testing",
                "boundary values and equivalence classes",
                "negative cases",
            ),
        ),
    ),
    "owasp": (
        T(
            "Pick two risks from the OWASP Top 10 and explain how you would prevent them in a "
            "web application.",
            (
                "injection: parameterised queries",
                "broken access control: server-side checks",
                "XSS: output encoding and CSP",
                "security misconfiguration",
                "dependency scanning",
            ),
        ),
    ),
    "oauth": (
        T(
            "Explain the OAuth 2.0 authorization code flow with PKCE, and why it replaced the "
            "implicit flow.",
            (
                "authorization code exchanged for tokens server-side",
                "PKCE code verifier and challenge",
                "access vs refresh tokens",
                "tokens not exposed in the URL",
                "OpenID Connect adds identity (ID token)",
            ),
        ),
    ),
    "threatmodeling": (
        T(
            "Walk me through how you threat-model a new feature.",
            (
                "data flow diagram and trust boundaries",
                "STRIDE",
                "rank threats by likelihood and impact",
                "mitigations tracked as work items",
            ),
        ),
    ),
    "incidentresponse": (
        T(
            "You detect a possible breach of a production system. What are your first steps?",
            (
                "contain: isolate affected systems",
                "preserve evidence and logs",
                "escalate per the incident response plan",
                "eradicate and recover",
                "post-incident review",
            ),
        ),
    ),
    "agile": (
        T(
            "How do you run an agile team so that it delivers predictably without losing the "
            "ability to change course?",
            (
                "short iterations with a clear goal",
                "backlog refinement",
                "retrospectives that lead to changes",
                "limit work in progress",
                "measure cycle time or velocity",
            ),
        ),
    ),
    "jira": (
        T(
            "How do you set up Jira for a team so that it reflects reality rather than creating "
            "overhead?",
            (
                "simple workflow that matches how work flows",
                "epics and stories with acceptance criteria",
                "dashboards for blockers and cycle time",
                "keep the board current in stand-ups",
            ),
        ),
    ),
    "riskmanagement": (
        T(
            "How do you identify and manage risks on a project with a fixed deadline?",
            (
                "risk register",
                "likelihood and impact",
                "owners and mitigation plans",
                "review risks regularly",
                "contingency or buffer",
            ),
        ),
    ),
    "stakeholdermanagement": (
        T(
            "How do you keep stakeholders with conflicting priorities aligned on a project?",
            (
                "stakeholder map (influence and interest)",
                "regular, tailored communication",
                "agreed decision-making process",
                "make trade-offs explicit",
            ),
        ),
    ),
    "productmetrics": (
        T(
            "How would you choose the metrics for a new product feature, and how do you know "
            "it succeeded?",
            (
                "one primary metric tied to the goal",
                "leading vs lagging indicators",
                "guardrail metrics",
                "baseline and target",
                "A/B test or before/after comparison",
            ),
        ),
        T(
            "A key product metric dropped 10% last week. How do you investigate?",
            (
                "check data quality and tracking first",
                "segment by platform, region, cohort",
                "recent releases or external events",
                "funnel analysis",
            ),
        ),
    ),
    "roadmapping": (
        T(
            "How do you build a product roadmap and keep it credible when plans change?",
            (
                "outcomes and problems rather than features",
                "now / next / later horizons",
                "input from strategy, customers and engineering",
                "communicate changes and why",
            ),
        ),
    ),
    "userresearch": (
        T(
            "How do you find out what users actually need before building something?",
            (
                "user interviews without leading questions",
                "observe behaviour and usage data",
                "jobs to be done",
                "prototypes tested with users",
            ),
        ),
    ),
    "prioritization": (
        T(
            "You have more requests than your team can build. How do you decide what comes first?",
            (
                "a framework such as RICE or cost of delay",
                "tie to goals and strategy",
                "effort estimates with engineering",
                "explain what is not being done",
            ),
        ),
    ),
    "systemdesign": (
        T(
            "Design a URL shortener that handles millions of redirects a day. Walk me through "
            "the main components and trade-offs.",
            (
                "ID generation and collisions",
                "key-value store for lookups",
                "caching hot links",
                "read-heavy scaling",
                "analytics off the critical path",
            ),
        ),
        T(
            "Design a notification service that sends email and push messages reliably. What "
            "do you do when a provider is down?",
            (
                "queue between producers and senders",
                "retries with backoff and idempotency",
                "dead-letter queue",
                "rate limiting per provider",
                "fallback provider or circuit breaker",
            ),
        ),
    ),
    "distributedsystems": (
        T(
            "Two services must update their own databases as part of one business operation. "
            "How do you keep them consistent?",
            (
                "no distributed transaction across services",
                "transactional outbox",
                "saga with compensating actions",
                "idempotent consumers",
                "eventual consistency",
            ),
        ),
    ),
}
"""Questions written for one skill each; the concrete points are what make them gradable."""

CATEGORY_QUESTIONS: dict[str, tuple[QuestionTemplate, ...]] = {
    "language": (
        T(
            "What {skill} feature or idiom do you wish more developers knew, and where did it "
            "make your code clearer or faster?",
            (
                "names a concrete language feature",
                "a before/after example from real code",
                "why it is clearer or faster",
                "when not to use it",
            ),
        ),
        T(
            "How do you find a performance problem in a {skill} program? Walk me through a "
            "case where you did.",
            (
                "measure before optimising",
                "a profiler for {skill}",
                "the hot path that was found",
                "the change made and the measured gain",
            ),
        ),
        T(
            "How do you handle errors in {skill} so failures are visible but do not take the "
            "whole program down?",
            (
                "the language's error mechanism",
                "handling errors at the right layer",
                "logging with context",
                "no silently swallowed errors",
            ),
        ),
        T(
            "How do you test {skill} code that talks to a database or an external service?",
            (
                "unit tests with fakes at the boundary",
                "integration tests against a real dependency",
                "a test framework used with {skill}",
                "keeping tests fast and isolated",
            ),
        ),
        T(
            "How does {skill} handle concurrency, and what bug have you had to fix because of it?",
            (
                "the concurrency model of {skill}",
                "shared state and race conditions",
                "synchronisation or message passing",
                "how the bug was reproduced and fixed",
            ),
        ),
    ),
    "backend_framework": (
        T(
            "Describe a service you built with {skill}. How was it structured, and what would "
            "you change now?",
            (
                "layers or modules of the service",
                "where business logic lives",
                "how it was tested",
                "an honest lesson learned",
            ),
        ),
        T(
            "How do you make a {skill}-based service handle a sudden spike in traffic?",
            (
                "find the bottleneck with metrics",
                "horizontal scaling of stateless instances",
                "caching or queueing",
                "timeouts and backpressure",
            ),
        ),
        T(
            "What are the pitfalls of {skill} you have run into in production, and how did you "
            "avoid them afterwards?",
            (
                "a concrete production incident or bug",
                "root cause",
                "the fix",
                "a test or check that prevents a repeat",
            ),
        ),
        T(
            "How do you handle failures of a downstream dependency in a service that uses {skill}?",
            (
                "timeouts on every call",
                "retries with backoff and jitter",
                "circuit breaker",
                "graceful degradation or fallback",
            ),
        ),
    ),
    "frontend": (
        T(
            "How do you structure a large front-end codebase built with {skill} so several "
            "people can work on it at once?",
            (
                "component or feature-based structure",
                "shared design system",
                "state management choice",
                "linting, typing and tests in CI",
            ),
        ),
        T(
            "How do you test user interface code written with {skill}?",
            (
                "component tests from the user's point of view",
                "mock the network at the boundary",
                "a few end-to-end tests for critical flows",
                "visual or accessibility checks",
            ),
        ),
        T(
            "How do you keep an application built with {skill} fast as it grows?",
            (
                "measure with browser tools or Lighthouse",
                "bundle size and code splitting",
                "avoid unnecessary re-renders",
                "lazy loading",
            ),
        ),
        T(
            "How do you make sure what you build with {skill} is accessible?",
            (
                "semantic HTML",
                "keyboard navigation and focus",
                "labels and ARIA where needed",
                "automated and manual accessibility testing",
            ),
        ),
    ),
    "database": (
        T(
            "How do you design a schema in {skill} for a new feature, and how do you evolve it "
            "later?",
            (
                "model from the access patterns",
                "keys and constraints",
                "indexes for the main queries",
                "migrations that stay backwards compatible",
            ),
        ),
        T(
            "A query against {skill} got slow in production. How do you investigate it?",
            (
                "query plan or profiler",
                "indexes",
                "data volume and statistics",
                "verify the fix with measurements",
            ),
        ),
        T(
            "How do you back up {skill} and prove you can restore it?",
            (
                "backup method and frequency",
                "point-in-time recovery",
                "regular restore tests",
                "RPO and RTO targets",
            ),
        ),
        T(
            "How does {skill} handle concurrent writes to the same data, and how has that "
            "affected your application code?",
            (
                "locking or optimistic concurrency",
                "transactions and isolation",
                "lost updates",
                "retries on conflict",
            ),
        ),
    ),
    "cloud": (
        T(
            "How would you design a highly available service on {skill}?",
            (
                "multiple zones or regions",
                "load balancing and autoscaling",
                "managed data stores with replication",
                "health checks and failover",
            ),
        ),
        T(
            "How do you manage access and secrets on {skill}?",
            (
                "least-privilege roles",
                "no long-lived keys in code",
                "a managed secrets store",
                "audit logs",
            ),
        ),
        T(
            "How do you keep costs on {skill} under control?",
            (
                "cost visibility with tags or labels",
                "right-sizing",
                "committed-use or spot pricing",
                "budgets and alerts",
            ),
        ),
        T(
            "How do you provision {skill} resources reproducibly?",
            (
                "infrastructure as code",
                "review before apply",
                "separate environments",
                "drift detection",
            ),
        ),
    ),
    "devops": (
        T(
            "How have you used {skill} in a delivery pipeline, and what problem did it solve?",
            (
                "the problem before {skill}",
                "how it fit into the pipeline",
                "a measurable improvement",
                "limits or trade-offs",
            ),
        ),
        T(
            "Something built on {skill} broke in production at night. Walk me through how you "
            "handled it.",
            (
                "detection through alerts",
                "mitigation before root cause",
                "root cause analysis",
                "blameless postmortem and follow-ups",
            ),
        ),
        T(
            "How do you keep a setup based on {skill} secure and up to date?",
            (
                "pinned, regularly updated versions",
                "least privilege",
                "secrets kept out of code",
                "automated scanning",
            ),
        ),
        T(
            "How do you monitor systems that rely on {skill}?",
            (
                "key metrics and logs",
                "alerts on user-facing symptoms",
                "dashboards",
                "runbooks for common alerts",
            ),
        ),
    ),
    "data": (
        T(
            "Describe a data pipeline you built with {skill}. How did you make sure the data "
            "it produced was correct?",
            (
                "sources and outputs of the pipeline",
                "data quality checks",
                "idempotent, rerunnable steps",
                "monitoring and alerting on failures",
            ),
        ),
        T(
            "How do you handle late or duplicated records in a pipeline that uses {skill}?",
            (
                "deduplication keys",
                "event time vs processing time",
                "watermarks or reprocessing windows",
                "idempotent writes (upserts)",
            ),
        ),
        T(
            "How do you make work done with {skill} scale as data volume grows tenfold?",
            (
                "partitioning",
                "incremental processing",
                "find the bottleneck before scaling",
                "cost awareness",
            ),
        ),
        T(
            "How do you explain an analysis done with {skill} to people who will make a "
            "decision from it?",
            (
                "start with the decision and the answer",
                "clear visual",
                "caveats and uncertainty",
                "a recommendation",
            ),
        ),
    ),
    "ml": (
        T(
            "Walk me through a model you built with {skill}, from the problem to the metric "
            "you used to judge it.",
            (
                "problem framing and baseline",
                "features or data preparation",
                "validation strategy",
                "metric chosen and why",
            ),
        ),
        T(
            "How do you know whether a model built with {skill} is good enough to ship?",
            (
                "comparison with a simple baseline",
                "held-out test set",
                "error analysis on slices",
                "business impact estimate",
            ),
        ),
        T(
            "How would you deploy and monitor a model built with {skill}?",
            (
                "batch vs online serving",
                "versioned model artifacts",
                "latency and resource limits",
                "drift monitoring",
            ),
        ),
        T(
            "What went wrong in a {skill} project of yours, and what did it teach you?",
            (
                "a concrete failure such as leakage or overfitting",
                "how it was found",
                "the fix",
                "what is done differently now",
            ),
        ),
    ),
    "testing": (
        T(
            "How have you used {skill} to test an application, and how did you keep the tests "
            "maintainable?",
            (
                "test structure and patterns",
                "stable selectors or interfaces",
                "test data management",
                "running in CI",
            ),
        ),
        T(
            "Tests written with {skill} fail intermittently. How do you deal with flakiness?",
            (
                "reproduce and find the cause",
                "waits and timing",
                "shared state between tests",
                "quarantine rather than ignore",
            ),
        ),
        T(
            "How do you decide what to cover with {skill} and what to test at a lower level?",
            (
                "test pyramid",
                "critical user journeys",
                "speed and maintenance cost",
                "risk-based prioritisation",
            ),
        ),
        T(
            "How do you report the quality of a release using results from {skill}?",
            (
                "pass rate and coverage of critical flows",
                "open defects by severity",
                "trends over releases",
                "a clear go or no-go recommendation",
            ),
        ),
    ),
    "mobile": (
        T(
            "Describe an app you built with {skill}. How did you structure it and why?",
            (
                "architecture pattern such as MVVM",
                "separation of UI and logic",
                "networking and persistence layers",
                "testing approach",
            ),
        ),
        T(
            "How do you make an app built with {skill} work well offline and on a poor network?",
            (
                "local cache or database",
                "sync and conflict resolution",
                "retries with backoff",
                "clear UI states for loading and errors",
            ),
        ),
        T(
            "How do you find and fix performance problems in an app built with {skill}?",
            (
                "profiling tools",
                "work off the main thread",
                "memory usage and leaks",
                "startup time",
            ),
        ),
        T(
            "How do you release an app built with {skill} safely to users?",
            (
                "staged rollout",
                "feature flags",
                "crash reporting",
                "backwards-compatible APIs for old app versions",
            ),
        ),
    ),
    "security": (
        T(
            "How have you applied {skill} to protect a system, and what risk did it address?",
            (
                "the threat addressed",
                "how it was implemented",
                "how it was verified",
                "remaining risk",
            ),
        ),
        T(
            "How would you review a service for weaknesses related to {skill}?",
            (
                "threat model",
                "code review and automated scanning",
                "configuration review",
                "prioritised findings",
            ),
        ),
        T(
            "How do you explain a security risk involving {skill} to engineers who see it as a "
            "blocker?",
            (
                "concrete impact",
                "practical fix options",
                "fit into their workflow",
                "shared ownership",
            ),
        ),
        T(
            "What would you monitor to detect an attack related to {skill}?",
            (
                "relevant logs and signals",
                "alert thresholds",
                "false-positive handling",
                "response playbook",
            ),
        ),
    ),
    "product": (
        T(
            "How have you used {skill} to make a product decision? What did you decide and "
            "what happened?",
            (
                "the decision and its context",
                "evidence used",
                "trade-offs",
                "measured outcome",
            ),
        ),
        T(
            "How do you decide whether a feature involving {skill} is worth building?",
            (
                "user problem and evidence",
                "expected impact vs effort",
                "success metric",
                "cheapest test first",
            ),
        ),
        T(
            "How do you work with engineering and design on {skill}?",
            (
                "shared understanding of the problem",
                "early involvement",
                "clear acceptance criteria",
                "regular feedback",
            ),
        ),
        T(
            "How do you measure success for work on {skill}?",
            (
                "outcome metric",
                "baseline and target",
                "guardrails",
                "review after launch",
            ),
        ),
    ),
    "project": (
        T(
            "How have you used {skill} on a project, and what difference did it make to delivery?",
            (
                "the project context",
                "how it was applied",
                "impact on schedule, scope or quality",
                "lesson learned",
            ),
        ),
        T(
            "A project relying on {skill} is slipping. What do you do?",
            (
                "find the real cause",
                "options: scope, time, resources",
                "communicate early to stakeholders",
                "re-plan with the team",
            ),
        ),
        T(
            "How do you report progress on work involving {skill} so that problems surface early?",
            (
                "a few honest indicators",
                "risks and blockers",
                "status tailored to the audience",
                "decisions needed",
            ),
        ),
        T(
            "How do you introduce {skill} to a team that is used to working differently?",
            (
                "explain the why",
                "start small",
                "gather feedback",
                "adapt rather than impose",
            ),
        ),
    ),
    "general": (
        T(
            "Tell me about a project where you used {skill}. What was hard, and how did you "
            "solve it?",
            (
                "the context and goal",
                "the specific difficulty",
                "the approach and alternatives considered",
                "the result",
            ),
        ),
        T(
            "How would you explain {skill} to a new colleague, and what mistakes do beginners "
            "make with it?",
            (
                "a clear, correct explanation",
                "a concrete example",
                "common mistakes",
                "how to avoid them",
            ),
        ),
        T(
            "What trade-offs do you weigh when deciding whether to use {skill} on a project?",
            (
                "what it is good at",
                "its limits",
                "alternatives",
                "team and maintenance cost",
            ),
        ),
        T(
            "How do you keep your {skill} knowledge current, and what did you learn about it "
            "recently?",
            (
                "concrete sources or practice",
                "a recent specific learning",
                "how it was applied",
            ),
        ),
        T(
            "How have you verified that work involving {skill} was correct before it reached "
            "users?",
            (
                "tests or reviews",
                "acceptance criteria",
                "monitoring after release",
            ),
        ),
        T(
            "Describe a time a decision involving {skill} did not work out. What did you do next?",
            (
                "the decision and why it was made",
                "how the problem showed",
                "the correction",
                "the lesson",
            ),
        ),
    ),
}
"""Templates for any skill of a category; ``{skill}`` is the skill's display name."""
