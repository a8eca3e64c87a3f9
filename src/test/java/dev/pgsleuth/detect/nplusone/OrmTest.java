package dev.pgsleuth.detect.nplusone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which ORM wrote a statement, from the SQL shapes in the research notes and the application name. */
class OrmTest {

    private static Orm of(String application, String sql) {
        return Orm.recognize(application, List.of(sql));
    }

    @Test
    void hibernateSixAndFiveByTheirAliases() {
        Orm six = of(null, "select b1_0.author_id,b1_0.id,b1_0.title from book b1_0 where b1_0.author_id=?");
        assertEquals("hibernate", six.name());
        assertTrue(six.reason().contains("`b1_0`") && six.reason().contains("Hibernate 6"), six.reason());
        Orm five = of(null, "select team0_.id as id1_1_0_, team0_.name as name2_1_0_ from Team team0_ where team0_.id=?");
        assertEquals("hibernate", five.name());
        assertTrue(five.reason().contains("Hibernate 5"), five.reason());
    }

    @Test
    void djangoByAppModelColumnsAndLimit21() {
        Orm o = of("", "SELECT \"books_author\".\"id\", \"books_author\".\"name\" FROM \"books_author\" "
                + "WHERE \"books_author\".\"id\" = 5 LIMIT 21");
        assertEquals("django", o.name());
        assertTrue(o.reason().contains("LIMIT 21"), o.reason());
    }

    @Test
    void railsBySelectTableStar() {
        assertEquals("rails", of(null, "SELECT \"line_items\".* FROM \"line_items\" WHERE \"line_items\".\"order_id\" = $1").name());
    }

    @Test
    void sqlalchemyByLabelsOrTheParameterOnTheLeft() {
        assertEquals("sqlalchemy", of(null, "SELECT addresses.id AS addresses_id FROM addresses WHERE addresses.user_id = $1").name());
        assertEquals("sqlalchemy", of(null, "SELECT a.id FROM addresses a WHERE $1 = a.user_id").name());
    }

    @Test
    void sequelizeAndPrisma() {
        assertEquals("sequelize", of(null, "SELECT \"id\", \"name\" FROM \"Users\" AS \"User\" WHERE \"User\".\"id\" = 8;").name());
        assertEquals("prisma", of(null, "SELECT \"public\".\"User\".\"id\" FROM \"public\".\"User\" WHERE \"public\".\"User\".\"id\" IN ($1) OFFSET $2").name());
    }

    @Test
    void applicationNameWinsAndPlainJdbcOrNothingOtherwise() {
        Orm app = of("myshop-django-web", "select id from t where id = $1");
        assertEquals("django", app.name());
        assertTrue(app.reason().contains("application_name"));
        assertEquals("jdbc", of("PostgreSQL JDBC Driver", "select id, name from customer where id = $1").name());
        assertEquals("unknown", of("psql", "select id, name from customer where id = $1").name());
        assertEquals("unknown", of(null, "select id, name from customer where id = $1").name());
    }
}
