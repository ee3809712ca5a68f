import Synchronization

/// A table of values of a pure function, shared between threads behind a lock: the one memo table of the
/// package (per assumptions value, per derivation run, and process-wide). Two threads asking for the same new
/// key may both compute it; they store the same value. A table with a capacity starts over when it is full
/// (the process-wide ones, which a long fuzzing run would otherwise grow without end).
///
/// The lock is a `Mutex` stored inline: every assumptions value owns a few tables, and a derivation builds
/// thousands of assumptions values, so a table costs one allocation (an empty dictionary allocates nothing).
public final class LockedTable<Key: Hashable, Value>: @unchecked Sendable {
    private let table = Mutex<[Key: Value]>([:])
    private let capacity: Int?

    public init(capacity: Int? = nil) { self.capacity = capacity }

    public func value(for key: Key, _ compute: () -> Value) -> Value {
        table.remembered(key, capacity: capacity, compute)
    }
}

extension Mutex {
    /// `compute()` once per key of the dictionary this mutex guards. It runs outside the lock: the computation may
    /// ask the same table again. With a capacity, a full table starts over.
    func remembered<K: Hashable, V>(_ key: K, capacity: Int? = nil, _ compute: () -> V) -> V where Value == [K: V] {
        if let v = withLock({ $0[key] }) { return v }
        let v = compute()
        withLock { t in
            if let capacity, t.count > capacity { t.removeAll() }
            t[key] = v
        }
        return v
    }
}
