enum SimplifyBench { static func run(_ o: Options) throws {} }
