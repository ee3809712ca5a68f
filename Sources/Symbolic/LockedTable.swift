import Foundation

/// A table of values of a pure function, shared between threads behind a lock: the one memo table of the
/// package (per assumptions value, per derivation run, and process-wide). Two threads asking for the same new
/// key may both compute it; they store the same value. A table with a capacity starts over when it is full
/// (the process-wide ones, which a long fuzzing run would otherwise grow without end).
public final class LockedTable<Key: Hashable, Value>: @unchecked Sendable {
    private var table: [Key: Value] = [:]
    private let lock = NSLock()
    private let capacity: Int?

    public init(capacity: Int? = nil) { self.capacity = capacity }

    public func value(for key: Key, _ compute: () -> Value) -> Value {
        lock.lock()
        if let v = table[key] { lock.unlock(); return v }
        lock.unlock()
        let v = compute()
        lock.lock()
        if let capacity, table.count > capacity { table.removeAll() }
        table[key] = v
        lock.unlock()
        return v
    }
}
