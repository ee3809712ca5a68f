enum GrowthBench { static func run(_ o: Options) throws {} }
