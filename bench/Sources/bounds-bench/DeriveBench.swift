enum DeriveBench { static func run(_ o: Options) throws {} }
