"""Pure quiz core (no Flask, no database): the stored question and answer-key shape, responses and scoring."""

from elearn.quizzes.question import LIKERT_VALUES, PublicOption, StoredQuestion, public_options
from elearn.quizzes.responses import MAX_TEXT_LENGTH, Response, ResponseError, parse_response
from elearn.quizzes.scoring import Scored, score
from elearn.quizzes.stored import stored_columns

__all__ = [
    "LIKERT_VALUES",
    "MAX_TEXT_LENGTH",
    "PublicOption",
    "Response",
    "ResponseError",
    "Scored",
    "StoredQuestion",
    "parse_response",
    "public_options",
    "score",
    "stored_columns",
]
