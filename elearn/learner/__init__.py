"""The learner area: my learning, the catalogue, course pages, lessons, quizzes and surveys (routes on
`learner.blueprint.bp`)."""
