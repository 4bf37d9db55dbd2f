"""The engine's internals, not use cases: the upload step of a run and what it streams, writes, moves,
resumes and reconciles (upload_step, stream, upload_file, moves, resume, reconcile), the streak breaker of
single calls (breaker) and how a cancel ends requests that wait (interrupt). The use cases of sync/ build on
them; the faces never import them (the contract "Faces call the use cases of sync/, not its internals")."""
