enum EvaluateBench { static func run(_ o: Options) throws {} }
