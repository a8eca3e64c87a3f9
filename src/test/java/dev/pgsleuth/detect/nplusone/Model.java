package dev.pgsleuth.detect.nplusone;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Hibernate model of the integration test: every association lazy, as ORMs default to. Lazy
 * proxies load on a method call, so the scenarios go through the getters.
 */
final class Model {
    private Model() {
    }

    @Entity(name = "Publisher")
    @Table(name = "publisher")
    public static class Publisher {
        @Id
        public Long id;
        public String name;

        public String getName() {
            return name;
        }
    }

    @Entity(name = "Author")
    @Table(name = "author")
    public static class Author {
        @Id
        public Long id;
        public String name;
        @ManyToOne(fetch = FetchType.LAZY)
        @JoinColumn(name = "publisher_id")
        public Publisher publisher;
        @OneToMany(mappedBy = "author")
        public List<Book> books = new ArrayList<>();

        public String getName() {
            return name;
        }

        public Publisher getPublisher() {
            return publisher;
        }

        public List<Book> getBooks() {
            return books;
        }
    }

    @Entity(name = "Book")
    @Table(name = "book")
    public static class Book {
        @Id
        public Long id;
        public String title;
        @ManyToOne(fetch = FetchType.LAZY)
        @JoinColumn(name = "author_id")
        public Author author;
        @OneToMany(mappedBy = "book")
        public List<Review> reviews = new ArrayList<>();
        @ManyToMany
        @JoinTable(name = "book_tag", joinColumns = @JoinColumn(name = "book_id"),
                inverseJoinColumns = @JoinColumn(name = "tag_id"))
        public Set<Tag> tags = new HashSet<>();

        public Author getAuthor() {
            return author;
        }

        public List<Review> getReviews() {
            return reviews;
        }

        public Set<Tag> getTags() {
            return tags;
        }
    }

    @Entity(name = "Review")
    @Table(name = "review")
    public static class Review {
        @Id
        public Long id;
        public int stars;
        @ManyToOne(fetch = FetchType.LAZY)
        @JoinColumn(name = "book_id")
        public Book book;
    }

    @Entity(name = "Tag")
    @Table(name = "tag")
    public static class Tag {
        @Id
        public Long id;
        public String name;
    }
}
